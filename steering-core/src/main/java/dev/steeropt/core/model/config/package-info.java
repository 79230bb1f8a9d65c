/**
 * Model configuration: {@link dev.steeropt.core.model.config.ModelConfig} is the resolved, validated view of a
 * {@code config.json} (v4 and v5 key names), {@link dev.steeropt.core.model.config.RopeConfig} the rotary settings
 * with their inverse frequencies. Unknown settings that change the maths are errors, never defaults.
 */
package dev.steeropt.core.model.config;
