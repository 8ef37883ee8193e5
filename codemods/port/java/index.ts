export { portJavaSources, readJavaSources, type PortedService } from './port-service.ts';
export { formatPortReport, type PortReport } from './report.ts';
