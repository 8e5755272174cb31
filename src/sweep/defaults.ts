// Defaults shared by the sweep CLI and the queue code, kept apart so that importing them does
// not load BullMQ (only queue mode pays for it).

export const DEFAULT_QUEUE_NAME = 'accsim-sweep';
/** Points per queue job. */
export const DEFAULT_QUEUE_BATCH = 64;
