#!/usr/bin/env node
// The `vigil` command. Runs the built code (npm run build); see README.md.
import { main } from '../dist/cli/main.js';

const io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: process.stderr.isTTY === true,
};
process.exitCode = await main(process.argv, io, process);
