/**
 * Cooling designs, hourly cooling mode, cooling power and site water (DESIGN.md §3), after the
 * thermodynamics of Lei & Masanet (Resour. Conserv. Recycl. 182 (2022) 106323; Energy 201 (2020) 117556)
 * with their Table B.1 parameter ranges (Lei & Masanet 2022 [lei-masanet-2022]). docs/models/cooling.md gives every equation.
 *
 * Per kW of heat Q to remove, fan and pump power are linear in flow (flow ∝ Q), and the chiller power
 * is Q_mech / COP(condenser temperature). So everything that depends only on the climate and the
 * design — the mode, the cooling kW per kW of heat, the litres of water per kWh of heat — is computed
 * once per hour of the climate year (`prepareCooling`), and a simulated hour is a few multiply-adds
 * (`facilityLoad`).
 */

export {
  COOLING_DESIGN_NAMES,
  type CoolingDesign,
  type CoolingDesignName,
  coolingDesign,
  FREE,
  MECHANICAL,
  PARTIAL,
} from './cooling/design.ts';
export { type FacilitySizing, type FacilitySummary, facilityLoad } from './cooling/facility.ts';
export { type CoolingClimate, towerEvaporationLPerKwh } from './cooling/hour.ts';
export { type ChillerCircuit, type CoolingProfile, prepareCooling } from './cooling/profile.ts';
