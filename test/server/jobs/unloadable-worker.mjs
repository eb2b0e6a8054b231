// A built worker module (no tsx boot) that cannot load: piscina's thread fails while starting.
throw new Error('cannot load the bundle');
