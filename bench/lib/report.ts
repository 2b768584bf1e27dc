/** Prints the benchmark's result as its last line: one JSON object (DESIGN.md, Benchmarks). */
export function report(bench: string, figures: Record<string, number | string | boolean>): void {
  process.stdout.write(`${JSON.stringify({ bench, node: process.version, ...figures })}\n`);
}

/** A progress line on stderr, so stdout's last line stays the JSON result. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
