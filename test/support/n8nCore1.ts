/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/** Set up for the jest project that runs on n8n-core 1.99.0 / n8n-workflow 1.97.0 (n8n 1.100.1's pair). */
process.env.SYMPHONY_N8N_CORE_PAIR = '1.99.0/1.97.0';
