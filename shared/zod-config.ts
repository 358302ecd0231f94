// English error messages for zod/mini, which (unlike classic zod) loads no locale by itself.

import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());
