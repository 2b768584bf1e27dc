import { useState } from 'preact/hooks';
import { ApiError, postJson } from '../browser/api';

function message(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return `Too many attempts: ${error.message}`;
    return error.message;
  }
  return `Cannot reach the server: ${(error as Error).message}`;
}

/** A text field of a submitted form ('' when absent). */
function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

interface FormProps {
  readonly onDone: () => void;
}

/** Sign in with the admin account. */
export function LoginPage(props: FormProps) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="page auth">
      <h1>Vigil</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setBusy(true);
          postJson('/auth/login', {
            username: field(data, 'username'),
            password: field(data, 'password'),
          })
            .then(() => props.onDone())
            .catch((err: unknown) => setError(message(err)))
            .finally(() => setBusy(false));
        }}
      >
        <h2>Sign in</h2>
        <label>
          User <input name="username" autocomplete="username" required />
        </label>
        <label>
          Password{' '}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error === '' ? null : (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/** First run: create the admin account with the one-time setup token the server logged. */
export function SetupPage(props: FormProps & { readonly token: string }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="page auth">
      <h1>Vigil</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const password = field(data, 'password');
          if (password !== field(data, 'repeat')) {
            setError('The two passwords differ.');
            return;
          }
          setBusy(true);
          postJson('/auth/setup', {
            token: field(data, 'token').trim(),
            username: field(data, 'username'),
            password,
          })
            .then(() => props.onDone())
            .catch((err: unknown) => setError(message(err)))
            .finally(() => setBusy(false));
        }}
      >
        <h2>First-run setup</h2>
        <p>
          Create the admin account. The setup token is in the URL the server logged at start (
          <code>/setup?token=…</code>).
        </p>
        <label>
          Setup token <input name="token" value={props.token} required />
        </label>
        <label>
          User <input name="username" autocomplete="username" value="admin" required />
        </label>
        <label>
          Password (12 characters or more){' '}
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            minLength={12}
            required
          />
        </label>
        <label>
          Repeat password{' '}
          <input name="repeat" type="password" autocomplete="new-password" required />
        </label>
        {error === '' ? null : (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Create admin and sign in
        </button>
      </form>
    </main>
  );
}
