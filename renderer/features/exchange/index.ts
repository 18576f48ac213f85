export { TrustedKeysCard } from './TrustedKeysCard';
export { CampaignExchangeCard } from './CampaignExchangeCard';
export { ReceivedWorkCard } from './ReceivedWorkCard';
