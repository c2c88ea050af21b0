import { describe, expect, it } from "vitest";
import { normalizeBundle, toMimeBundle } from "../../../kernel/display/mime-bundle.js";

describe("MIME bundles", () => {
  it("shows nothing for undefined", async () => {
    expect(await toMimeBundle(undefined)).toBeUndefined();
  });

  it("renders plain values without ANSI colour codes", async () => {
    const bundle = await toMimeBundle({ n: 42, s: "x" });
    expect(bundle?.data["text/plain"]).toBe("{ n: 42, s: 'x' }");
    expect(String(bundle?.data["text/plain"])).not.toMatch(/\u001b\[/);
  });

  it("uses the Jupyter.display symbol and adds text/plain when missing", async () => {
    const table = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<table></table>" }) };
    const bundle = await toMimeBundle(table);
    expect(bundle?.data["text/html"]).toBe("<table></table>");
    expect(typeof bundle?.data["text/plain"]).toBe("string");
  });

  it("accepts an async display hook and a { data, metadata } answer", async () => {
    const chart = {
      [Symbol.for("Jupyter.display")]: async () => ({
        data: { "application/vnd.vegalite.v5+json": { mark: "bar" }, "text/plain": "chart" },
        metadata: { width: 300 },
      }),
    };
    expect(await toMimeBundle(chart)).toEqual({
      data: { "application/vnd.vegalite.v5+json": { mark: "bar" }, "text/plain": "chart" },
      metadata: { width: 300 },
    });
  });

  it("falls back to inspect when the hook returns nothing useful", async () => {
    const odd = { [Symbol.for("Jupyter.display")]: () => 42 };
    const bundle = await toMimeBundle(odd);
    expect(Object.keys(bundle?.data ?? {})).toEqual(["text/plain"]);
  });

  it("drops keys that are not MIME types", () => {
    expect(normalizeBundle({ "text/markdown": "# hi", notAMime: 1 })?.data).toEqual({ "text/markdown": "# hi" });
  });
});
