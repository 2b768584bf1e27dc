/** The push token of the `flip` monitor the board benchmark turns down and up. */
export const FLIP_TOKEN = 'bench-board-flip-token-0123456789';
