/** Waits that stopping can cut short, so retry back-offs never keep a stopped component's timers alive. */
export function interruptibleDelays() {
  const pending = new Set<() => void>();
  return {
    wait(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          pending.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        pending.add(wake);
      });
    },
    wakeAll() {
      for (const wake of [...pending]) wake();
    },
  };
}
