/** `jupyter console --simple-prompt`, typed into through tmux: what a terminal user sees. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleDriver, type ConsoleTranscript } from "./support/console-driver.js";
import { createJupyterEnv, kernelUnderTest, type JupyterEnv } from "./support/jupyter-env.js";
import { snippetsFor } from "./support/snippets.js";

const kernel = kernelUnderTest();
const code = snippetsFor(kernel);

describe(`jupyter console with the ${kernel} kernel`, () => {
  let jupyter: JupyterEnv | undefined;
  let driver: ConsoleDriver | undefined;
  let transcript: ConsoleTranscript;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("console");
    driver = new ConsoleDriver(jupyter);
    await driver.start(kernel);
    await driver.run([code.setKept, code.printHi, code.readKept, code.raiseError, code.readKept]);
    transcript = await driver.finish();
  }, 170_000);

  afterAll(async () => {
    await driver?.dispose();
    await jupyter?.dispose();
  });

  it("prints a cell's stdout under the prompt", () => {
    expect(transcript.text).toMatch(/In \[2\]: .*\n+hi 42\n/);
  });

  it("shows the last expression's value as Out[n]", () => {
    expect(transcript.text).toMatch(/Out\[3\]: 42\b/);
  });

  it("reports an error and keeps the session going with its variables", () => {
    expect(transcript.text).toContain(code.errorMessage);
    expect(transcript.text).toMatch(/Out\[5\]: 42\b/);
  });

  it("exits on Ctrl-D", () => {
    expect(transcript.exited).toBe(true);
  });
});
