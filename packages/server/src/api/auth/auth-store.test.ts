import { authStoreContract } from './auth-store.contract.js';
import { memoryAuthStore } from './auth-store.js';

authStoreContract('memory', {
  open: () => Promise.resolve({ store: memoryAuthStore(), close: () => Promise.resolve() }),
});
