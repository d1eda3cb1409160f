/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
// n8n's logger prints warnings nodes log on purpose (e.g. the trigger's unreadable users); tests
// assert on items and errors instead, so keep the run's output to what failed.
process.env.N8N_LOG_LEVEL ??= 'error';
