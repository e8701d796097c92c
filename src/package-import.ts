// import() of an ES-module package at run time (vega for --html). The bundled command line runs as a
// vm.Script on Node 20 (src/cli/launch.ts), where an import() written in the bundle goes through
// vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which prints an ExperimentalWarning to the user; the
// launcher therefore hands in its own import() under this symbol, and everything else imports directly.

export const PACKAGE_IMPORT = Symbol.for('merg-e-sim.packageImport');

type Importer = (specifier: string) => Promise<unknown>;

export function importPackage<T>(specifier: string): Promise<T> {
  const hook = (globalThis as { [PACKAGE_IMPORT]?: Importer })[PACKAGE_IMPORT];
  return (hook !== undefined ? hook(specifier) : import(specifier)) as Promise<T>;
}
