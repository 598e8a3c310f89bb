export { startFakeServer, type FakeServer, type FakeServerOptions, type FakeResponse, type RecordedRequest } from './fake-server.js';
export type { Fault } from './faults.js';
export { loadSpecValidator, specPath, type SpecValidator } from './spec-validator.js';
export { refusedUrl } from './refused-url.js';
export { startDushuFake, type DushuFake, type DushuFakeOptions } from './vendors/dushu.js';
export { startWpsFake, type WpsFake, type WpsFakeOptions } from './vendors/wps.js';
export { startEbaasFake, type EbaasFake, type EbaasFakeOptions } from './vendors/ebaas.js';
export { startAkubelaFake, type AkubelaFake, type AkubelaFakeOptions } from './vendors/akubela.js';
export { startFantemFake, type FantemFake, type FantemFakeOptions } from './vendors/fantem.js';
export { failure } from './token-error-assertions.js';
export {
  conformanceSecret,
  type ConformanceCase,
  type VendorSession,
  type Breakage,
  type CommonOptions,
  type VendorModule,
} from './conformance-case.js';
export { loadErrorTable, type ErrorRow, type ErrorReplay } from './error-table.js';
export { steadyUse, type SteadyUseOptions } from './steady-use.js';
