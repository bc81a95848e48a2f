# Appended by tools/run-python-tests.sh to the private copy of kafka-python 2.0.2's
# test/fixtures.py. Its KafkaFixture spawns a Java broker (and ZooKeeper); with KAFKA_URI
# set it returns a bare ExternalService that lacks the methods the tests call
# (create_topics, get_clients, get_consumers, ...). This subclass keeps all of them and
# only skips the spawning: it talks to the Gregor broker at KAFKA_URI.


class ExistingKafkaFixture(KafkaFixture):
    def open(self):
        if self.running:
            return
        (self._client,) = self.get_clients(1, client_id='_internal_client')
        self.running = True

    def stop(self):
        if self.running:
            self._client.close()
            self.running = False

    def close(self):
        self.stop()

    def dump_logs(self):
        pass
