// The engine's hottest loops, compiled to WebAssembly by bin/build-kernels.mjs (AssemblyScript).
export { dispatchHours } from './dispatch';
export { facilityHours, plantPower } from './facility';
export { billHours } from './bill';
