import type { PodSimulator } from '../index';
import { presenceRoutes } from './presence';
import { sessionRoutes } from './session';

/** Every group of endpoints the simulator serves; each module adds its routes to the simulator. */
export const ROUTE_MODULES: Array<(sim: PodSimulator) => void> = [sessionRoutes, presenceRoutes];
