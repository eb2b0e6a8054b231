import { z } from 'zod';

// zod 4 probes `new Function('')` to decide whether to compile validators; under the page's
// Content-Security-Policy (no 'unsafe-eval') that probe is a CSP violation. Import this module first.
z.config({ jitless: true });
