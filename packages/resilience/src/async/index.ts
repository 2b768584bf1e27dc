export { abortable, isThenable } from './abortable.js';
