export { instrumentTokenClients, INSTRUMENTATION_NAME, type Instrumentation, type InstrumentationOptions } from './instrument.js';
export { ATTR } from './attributes.js';
