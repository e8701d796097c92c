// What both executables run (bin/merg-e.js, bin/coren.js): the bundled command line that
// `npm run build` made in dist/bin (src/cli/launch.ts). A checkout that was never built has no
// dist/: that is said as MRG4070 (src/diagnostics.ts), not as Node's module-not-found stack trace.
export async function start(name) {
  let launcher;
  try {
    launcher = await import('../dist/bin/launch.js');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.url ?? e.message).includes('dist/bin/launch.js')) throw e;
    process.stderr.write(`MRG4070 error: ${name}: merg-e-sim is not built (dist/bin/launch.js is missing)\n  help: Run 'npm ci' (or 'npm run build') in the merg-e-sim folder, then run the command again.\n`);
    process.exitCode = 70;
    return;
  }
  await launcher.launch(name);
}
