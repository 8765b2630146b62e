// IPC channel names shared by main and the preload (beyond the contract's `api:<call>` channels).
export const DROP_CHANNEL = 'drop:import';
