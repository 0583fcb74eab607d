import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from './auth';
import type { EmulatorContext } from './options';
import { sendError, sendOk } from './respond';

/** `POST /core/start|stop|restart`: flips the emulated container's state at once. */
export async function handleCoreAction(req: IncomingMessage, res: ServerResponse, action: string, context: EmulatorContext): Promise<void> {
  const body = await readJsonBody(req);
  if (body === undefined) return sendError(res, 'Invalid JSON body');
  context.state.coreRunning = action !== 'stop';
  sendOk(res);
}

/**
 * `POST /host/reboot|shutdown`: records the request, then either replies and closes the connection
 * (the host going down), or drops the connection without a reply (what clients must also accept).
 */
export async function handlePower(req: IncomingMessage, res: ServerResponse, action: string, context: EmulatorContext): Promise<void> {
  const body = await readJsonBody(req);
  if (body === undefined) return sendError(res, 'Invalid JSON body');
  context.state.powerRequests.push(action);
  if (context.state.power === 'drop') {
    req.socket.destroy();
    return;
  }
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
  sendOk(res);
}
