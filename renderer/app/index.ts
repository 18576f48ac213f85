// The shell: routing between the screens, providers, error boundary.
export { App } from './App';
