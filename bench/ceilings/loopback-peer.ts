// One side of the loopback TCP ceiling measurement, run as its own Node process:
//   receive                  listens on 127.0.0.1:0, prints the port, counts bytes from the
//                            first to the last byte, prints {"bytes":N,"seconds":S} as JSON
//   send <port> <seconds>    writes 1 MiB buffers (respecting backpressure) for <seconds>
import { createConnection, createServer } from 'node:net';

const CHUNK_BYTES = 1 << 20;

function receive(): void {
  const server = createServer((socket) => {
    let bytes = 0;
    let first = 0n;
    let last = 0n;
    socket.on('data', (chunk: Buffer) => {
      if (bytes === 0) first = process.hrtime.bigint();
      bytes += chunk.length;
      last = process.hrtime.bigint();
    });
    socket.on('end', () => {
      console.log(JSON.stringify({ bytes, seconds: Number(last - first) / 1e9 }));
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(typeof address === 'object' && address ? address.port : 0);
  });
}

function send(port: number, seconds: number): void {
  const chunk = Buffer.alloc(CHUNK_BYTES, 0x61);
  const socket = createConnection(port, '127.0.0.1');
  const deadline = Date.now() + seconds * 1000;
  const pump = (): void => {
    while (Date.now() < deadline) {
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
    socket.end();
  };
  socket.on('connect', pump);
}

const [role, a, b] = process.argv.slice(2);
if (role === 'receive') receive();
else if (role === 'send') send(Number(a), Number(b));
else throw new Error('usage: loopback-peer.ts receive | send <port> <seconds>');
