import type { IncomingMessage, ServerResponse } from 'node:http';
import { INVALID_JSON, readJsonBody } from './auth';
import type { EmulatorContext } from './options';
import { sendError, sendOk } from './respond';
import { FORCE_SCHEMA, RESTART_SCHEMA, validateBody } from './schema';

/**
 * `POST /core/start|stop|restart`: flips the emulated container's state at once. Bodies are validated
 * as the Supervisor does (stop: SCHEMA_STOP, restart: SCHEMA_RESTART); start reads no body
 * (supervisor/api/homeassistant.py:199-220).
 */
export async function handleCoreAction(req: IncomingMessage, res: ServerResponse, action: string, context: EmulatorContext): Promise<void> {
  if (action !== 'start') {
    const body = await readJsonBody(req);
    if (body === undefined) return sendError(res, INVALID_JSON);
    const problem = validateBody(body, action === 'restart' ? RESTART_SCHEMA : FORCE_SCHEMA);
    if (problem !== undefined) return sendError(res, problem);
  }
  context.state.coreRunning = action !== 'stop';
  sendOk(res);
}

/**
 * `POST /core/check`: the real one runs Core's check_config in a container and, when the config is
 * invalid, answers 400 with the whole check output as the message (supervisor/api/homeassistant.py:232-237,
 * supervisor/homeassistant/core.py:566-594).
 */
export function handleCoreCheck(res: ServerResponse, context: EmulatorContext): void {
  const log = context.state.checkLog;
  if (log === undefined) return sendOk(res);
  sendError(res, log);
}

/**
 * `POST /host/reboot|shutdown` ({force?}: supervisor/api/host.py:201-215): records the request, then
 * either replies and closes the connection (the host going down), or drops the connection without a
 * reply (what clients must also accept).
 */
export async function handlePower(req: IncomingMessage, res: ServerResponse, action: string, context: EmulatorContext): Promise<void> {
  const body = await readJsonBody(req);
  if (body === undefined) return sendError(res, INVALID_JSON);
  const problem = validateBody(body, FORCE_SCHEMA);
  if (problem !== undefined) return sendError(res, problem);
  context.state.powerRequests.push(action);
  if (context.state.power === 'drop') {
    req.socket.destroy();
    return;
  }
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
  sendOk(res);
}
