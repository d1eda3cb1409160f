import type { NodeHint } from 'n8n-workflow';

import type { SymphonyMap, SymphonyResource } from '../actions/types';
import { MAX_KEPT_PRESENCES } from '../helpers/lastKnownPresence';

/** The operation shown in the node panel, for hint conditions. */
const isOperation = <R extends SymphonyResource>(resource: R, operation: SymphonyMap[R]) =>
	`$parameter["resource"] === "${resource}" && $parameter["operation"] === "${operation}"`;

/**
 * Hints in the node panel where results are commonly misread. Each appears only for the
 * operation (and settings) it is about.
 */
export const nodeHints: NodeHint[] = [
	{
		message:
			'People at other firms show their presence only after <b>Register Interest</b> (renewed at least hourly) and only to connected accounts; each can be read once every 5 minutes. Put Register Interest before this node, and see Options → If Read Too Recently for schedules under 5 minutes.',
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${isOperation('presence', 'get')} && $parameter["local"] !== true && $parameter["registerInterestFirst"] !== true }}`,
	},
	{
		// Version 3 with Register Interest for Other Firms on: the node registers, so none is put before it.
		message:
			'This node registers interest in people at other firms before reading them. They show their presence only to connected accounts (see Connection → Get), and each can be read once every 5 minutes: see Options → If Read Too Recently for schedules under 5 minutes.',
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${isOperation('presence', 'get')} && $parameter["local"] !== true && $parameter["registerInterestFirst"] === true }}`,
	},
	{
		message: 'With Local Only, people at other firms always show as OFFLINE, whatever their real presence',
		type: 'warning',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${isOperation('presence', 'get')} && $parameter["local"] === true }}`,
	},
	{
		message: 'Get Many lists the users of your own pod only; for people at other firms use Register Interest, then Get',
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${isOperation('presence', 'getMany')} }}`,
	},
	{
		message: `Return Last Known outputs the presence this node last read for the user, with stale: true and its readAt time, kept for up to ${MAX_KEPT_PRESENCES.toLocaleString('en-US')} people at other firms. n8n keeps it only for the active workflow: manual test runs keep nothing, so there a read too recent fails unless the same run read the user before.`,
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${isOperation('presence', 'get')} && ($parameter["options"] || {}).ifReadTooRecently === "returnLastKnown" }}`,
	},
];
