/**
 * The user pool's feature plan (CloudFormation `UserPoolTier`), shared by the stack and the local stack. What each
 * costs and includes is in the README ("Feature plan"); this module holds only what the code depends on.
 */
export const featurePlans = ['lite', 'essentials', 'plus'] as const;
export type FeaturePlanName = (typeof featurePlans)[number];

/** Cognito's `UserPoolTierType` for each plan. */
export const userPoolTier = {
  lite: 'LITE',
  essentials: 'ESSENTIALS',
  plus: 'PLUS',
} as const satisfies Record<FeaturePlanName, string>;

/** Refresh-token rotation (GetTokensFromRefreshToken with `RefreshTokenRotation`) needs Essentials or Plus. */
export const rotationAvailable = (plan: FeaturePlanName): boolean => plan !== 'lite';
