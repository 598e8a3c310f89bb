export { startFakeServer, type FakeServer, type FakeServerOptions, type FakeResponse, type RecordedRequest } from './fake-server.js';
export type { Fault } from './faults.js';
export { loadSpecValidator, specPath, type SpecValidator } from './spec-validator.js';
export { refusedUrl } from './refused-url.js';
export { startDushuFake, type DushuFake, type DushuFakeOptions } from './vendors/dushu.js';
