export { VerifyScreen } from './VerifyScreen';
