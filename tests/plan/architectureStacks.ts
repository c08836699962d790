import { buildPlan, type Plan } from "../../src/plan/plan";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runStack } from "../harness";

/** The plan of a stack file (Pulumi.<stack>.yaml) with config overrides, built in-process as tests/plan/plan.test.ts does. */
export async function stackPlan(stack: string, overrides: Record<string, string> = {}): Promise<Plan> {
    const g = (await runStack({ ...loadStackConfig(process.cwd(), stack).config, ...overrides }, stack)).ok();
    return buildPlan(g.run, stack);
}
