import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonValue } from '../supervisor/api';
import { isJsonObject, isJsonValue } from '../supervisor/decode';
import type { EmulatorContext } from './options';
import { sendError, sendOk } from './respond';
import { RESET_SCHEMA, validateBody } from './schema';

/** The answer to a body that is not JSON (supervisor/api/utils.py:92-99 `json_loads`). */
export const INVALID_JSON = 'Invalid json';

const MAX_BODY_BYTES = 1024 * 1024;

/** `GET /auth/list`: Core answers it, so it fails with auth_list_users_error while Core is stopped. */
export async function handleAuthList(res: ServerResponse, context: EmulatorContext): Promise<void> {
  if (!context.state.coreRunning || context.auth === undefined) {
    return sendError(res, "Can't request listing users on Home Assistant", { status: 500, errorKey: 'auth_list_users_error' });
  }
  const rows = await context.auth((target) => target.listUsers());
  const users: JsonValue[] = rows
    .filter((row) => row.username !== null)
    .map((row) => ({ username: row.username, name: row.name, is_owner: row.isOwner, is_active: row.isActive, local_only: row.localOnly, group_ids: [...row.groupIds] }));
  sendOk(res, { users });
}

/**
 * `POST /auth/reset`: validated like the Supervisor's schema; any failure, Core stopped included,
 * answers the real (misleading) "Username ... does not exist" 400.
 */
export async function handleAuthReset(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const body = await readJsonBody(req);
  if (body === undefined) return sendError(res, INVALID_JSON);
  const problem = validateBody(body, RESET_SCHEMA);
  if (problem !== undefined) return sendError(res, problem);
  const username = String(body['username']);
  const password = String(body['password']);
  const fail = (): void =>
    sendError(res, `Username '${username}' does not exist. Check list of users using 'ha auth list'.`, {
      errorKey: 'auth_password_reset_error',
      extra: { user: username, auth_list_command: 'ha auth list' },
    });
  if (!context.state.coreRunning || context.auth === undefined) return fail();
  try {
    const outcome = await context.auth((target) => target.resetPassword(username, password, { force: true }));
    return outcome.updated.length > 0 ? sendOk(res) : fail();
  } catch {
    return fail();
  }
}

/** Reads a small JSON object body; {} when empty, undefined when not a JSON object. */
export async function readJsonBody(req: IncomingMessage): Promise<{ [key: string]: JsonValue } | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isJsonValue(value) && isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
