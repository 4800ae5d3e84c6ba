export * from './billing-cycle';
export { periodContains, periodWithin } from './period';
