export { SettingsScreen, ReviewerOnboarding } from './SettingsScreen';
