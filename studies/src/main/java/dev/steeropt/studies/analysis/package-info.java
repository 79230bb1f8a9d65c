/**
 * {@code steeropt analyze}: research analyses around the search, on one model or a pair of the same shape. This
 * package holds what every {@code analyze} subcommand shares; subpackages (or classes here) hold one command each.
 *
 * <h2>Writing a subcommand</h2>
 * <ol>
 *   <li>A picocli {@code @Command} class implementing {@code Callable<Integer>}, listed in
 *       {@link dev.steeropt.studies.analysis.AnalyzeCommand}'s {@code subcommands}.</li>
 *   <li>{@code @Mixin AnalysisInputs inputs;} gives {@code --model} (A; default {@code demo-hasty}),
 *       {@code --layers SPEC} ({@link dev.steeropt.studies.analysis.LayerSpec}: {@code all}, {@code a-b},
 *       {@code a,b,c}, 0-based decoder blocks), {@code --dataset synthetic|gsm8k|math500}, {@code --n} (evaluated
 *       items, 100), {@code --n-train} (fit items, 64), {@code --split train|validation|test} (default validation;
 *       fitting always uses train), {@code --allow-test}, {@code --seed}, {@code --prompt}, {@code --max-new-tokens},
 *       {@code --out DIR} (default {@code runs/analyze-<command>}), {@code --storage URL} (default
 *       {@code sqlite:///<out>/analysis.db}) and the data options. Add {@code @Mixin AnalysisInputs.Versus}
 *       ({@code --versus B}), {@code AnalysisInputs.Contrast} ({@code --pairs}: the
 *       {@link dev.steeropt.studies.spec.PairBuilder} names, {@code reasoning_vs_control} among them) and
 *       {@code AnalysisInputs.Units} ({@code --alpha-units raw|mean_residual_norm}, default raw) only when the command
 *       uses them.</li>
 *   <li>{@code try (AnalysisRun run = inputs.open("name", versus.reference(), out, err))} loads A (and B), draws the
 *       items ({@link dev.steeropt.studies.analysis.AnalysisData}: train for fitting, the evaluated split, the plan
 *       with its hashes; MATH-500 cut by seed into 200/100/200), claims the test split when evaluated
 *       ({@link dev.steeropt.studies.analysis.TestSplitGuard}), and picks the prompt variant and token budget (the
 *       demo's question-answer prompt and 112 tokens for a demo model). Call {@code run.requireSameShape(why)} when
 *       activations move between A and B.</li>
 *   <li>Write results through {@code run.output()} ({@link dev.steeropt.studies.analysis.AnalysisOutput}):
 *       {@code json(name, record)}, {@code plot(name, chart)} with the {@code plots} package, {@code line(...)} for
 *       the summary and {@code done()} last.</li>
 * </ol>
 * Bad input throws {@link dev.steeropt.studies.errors.UserFacingException} (one {@code Error:} line, exit 2).
 * {@link dev.steeropt.studies.analysis.GradedGeneration} generates and grades the evaluated items under any hook set
 * (an ablation, a patch). The commands so far: {@code directions}, {@code sweep}, {@code ablate}, {@code patch} (one
 * subpackage each).
 */
package dev.steeropt.studies.analysis;
