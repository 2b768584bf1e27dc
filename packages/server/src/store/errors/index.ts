export { StoreUnavailableError } from './store-unavailable-error.js';
export { StoreOpenError } from './store-open-error.js';
export { StoreVersionError } from './store-version-error.js';
export { StoreClosedError } from './store-closed-error.js';
