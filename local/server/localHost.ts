const LOCAL_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i;

/**
 * Whether a request's Host names this machine: `localhost`, `127.0.0.1` or `[::1]`, without a port
 * or with the server's own. A page on another site that rebinds its DNS name to 127.0.0.1 still
 * sends its own name as Host, so answering only these keeps the local servers' data on the machine
 * (as dev servers do). A request without Host is refused too.
 */
export function isLocalHost(host: string | undefined, ownPort: number): boolean {
  const match = host === undefined ? null : LOCAL_HOST.exec(host);
  if (!match) return false;
  return match[1] === undefined || Number(match[1]) === ownPort;
}
