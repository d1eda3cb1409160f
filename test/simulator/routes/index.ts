import type { PodSimulator } from '../index';
import { connectionRoutes } from './connections';
import { datafeedRoutes } from './datafeed';
import { loginRoutes } from './login';
import { messageRoutes } from './messages';
import { presenceRoutes } from './presence';
import { presenceAdminRoutes } from './presenceAdmin';
import { presenceFeedRoutes } from './presenceFeed';
import { roomRoutes } from './rooms';
import { sessionRoutes } from './session';
import { userRoutes, userSearchRoutes } from './users';

/** Every group of endpoints the simulator serves; each module adds its routes to the simulator. */
export const ROUTE_MODULES: Array<(sim: PodSimulator) => void> = [
	sessionRoutes,
	presenceRoutes,
	loginRoutes,
	presenceAdminRoutes,
	presenceFeedRoutes,
	userRoutes,
	userSearchRoutes,
	connectionRoutes,
	messageRoutes,
	roomRoutes,
	datafeedRoutes,
];
