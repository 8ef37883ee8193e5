/**
 * Preload for running a transformed service in plain Node: `node --import ./caps/register-node.ts src/server.ts`.
 * Opens the clients named by DATABASE_URL, NATS_URL and REDIS_URL and binds the facade to them.
 */
import { bindCapabilities } from './capabilities.ts';
import { connectNodeCapabilities } from './node.ts';

const connection = await connectNodeCapabilities();
bindCapabilities(connection.binding);
process.once('beforeExit', () => void connection.close());
