/** Shown for a hash route the console does not know. */
import { PageHead } from '../components/page-head.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHead title="Page not found" />
      <p>
        Nothing lives at this address. Go to the <a href="#/">overview</a>.
      </p>
    </>
  );
}
