import { ConfigError } from '@tickmesh/core'

export const GATEWAY_PRESETS = {
  /** One key for the Claude, DeepSeek, GPT and Gemini families. */
  holysheep: 'https://api.holysheep.ai/v1',
  openai: 'https://api.openai.com/v1',
  deepseek: 'https://api.deepseek.com/v1',
} as const

export type GatewayPreset = keyof typeof GATEWAY_PRESETS

export function presetBaseUrl(name: string): string {
  if (!Object.hasOwn(GATEWAY_PRESETS, name)) {
    throw new ConfigError(`Unknown gateway preset "${name}".`, {
      details: { known: Object.keys(GATEWAY_PRESETS) },
      hint: 'Use --preset holysheep, openai or deepseek, or give --base-url for any OpenAI-compatible endpoint.',
    })
  }
  return GATEWAY_PRESETS[name as GatewayPreset]
}
