/**
 * The Graph API version every call names (`/v21.0/<phone number id>/messages`) unless the
 * deployment sets `meta.graphApiVersion`: the one definition the config's default, the stack,
 * the functions, the sandbox and the tests read. Move it forward here, once, after checking
 * Meta's changelog for the webhook and send fields the channels read.
 */
export const GRAPH_API_VERSION = 'v21.0';

/** What a Graph API version looks like (`v21.0`). */
export const GRAPH_API_VERSION_PATTERN = /^v\d{1,3}\.\d$/;
