export * from './proration';
