import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { readDicom } from "../dicom/read";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { renderFrame } from "../dicom/pixels/render";
import type { Annotation } from "./annotation";
import {
  exportLabelStudioTasks,
  importLabelStudio,
  LabelStudioError,
  labelStudioConfig,
  safeImportLabelStudio,
  type LabelStudioChoice,
} from "./label-studio";
import { maskToBrush } from "./label-studio-rle";
import { seededRandom } from "../core/seeded-random";

const CT_SMALL = path.resolve(__dirname, "../../../../shared/data/dicom/pydicom/test_files/CT_small.dcm");
const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);

/** A seeded mask (mulberry32) of a disc with speckle, so runs and literals both occur in the RLE. */
function seededMask(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (height / 4) ** 2;
      mask[y * width + x] = inside !== random() < 0.05 ? 1 : 0;
    }
  }
  return mask;
}

/** An annotation as Label Studio 1.x writes it in Export > JSON (fields radlab ignores included). */
function lsAnnotation(fields: {
  id: number;
  result: unknown[];
  completed_by?: unknown;
  created_at?: string;
  updated_at?: string;
  was_cancelled?: boolean;
  task?: number;
}): Record<string, unknown> {
  return {
    id: fields.id,
    completed_by: fields.completed_by ?? 1,
    result: fields.result,
    was_cancelled: fields.was_cancelled ?? false,
    ground_truth: false,
    created_at: fields.created_at ?? "2024-05-02T09:13:55.123456Z",
    updated_at: fields.updated_at ?? fields.created_at ?? "2024-05-02T09:13:55.123456Z",
    draft_created_at: null,
    lead_time: 41.2,
    prediction: {},
    result_count: 0,
    unique_id: "5a0c6a1e-2a47-4f3e-9a53-0b8e0f1c2d3e",
    import_id: null,
    last_action: null,
    task: fields.task ?? 1,
    project: 3,
    updated_by: 1,
    parent_prediction: null,
    parent_annotation: null,
    last_created_by: null,
  };
}

/** A task as Label Studio 1.x writes it in Export > JSON. */
function lsTask(id: number, data: Record<string, unknown>, annotations: unknown[]): Record<string, unknown> {
  return {
    id,
    annotations,
    file_upload: null,
    drafts: [],
    predictions: [],
    data,
    meta: {},
    created_at: "2024-05-01T08:00:00.000000Z",
    updated_at: "2024-05-02T09:13:55.123456Z",
    inner_id: id,
    total_annotations: annotations.length,
    cancelled_annotations: 0,
    total_predictions: 0,
    comment_count: 0,
    unresolved_comment_count: 0,
    last_comment_updated_at: null,
    project: 3,
    updated_by: 1,
    comment_authors: [],
  };
}

function rectangle(id: string, w: number, h: number, value: Record<string, unknown>, fromName = "nodules") {
  return {
    original_width: w,
    original_height: h,
    image_rotation: 0,
    value: { rotation: 0, ...value },
    id,
    from_name: fromName,
    to_name: "image",
    type: "rectanglelabels",
    origin: "manual",
  };
}

describe("labelStudioConfig", () => {
  it("writes one control per label set, with escaped names and values", () => {
    expect(
      labelStudioConfig([
        { name: "nodules", kind: "box", labels: ["nodule", "mass"] },
        { name: "outline", kind: "polygon", labels: ["lung"] },
        { name: "lesion_mask", kind: "mask", labels: ["GGO & consolidation"] },
        { name: "findings", kind: "choices", labels: ["effusion", 'say "no"'], multiple: true },
        { name: "quality", kind: "choices", labels: ["good", "poor"] },
      ]),
    ).toBe(
      [
        "<View>",
        '  <Image name="image" value="$image" zoom="true"/>',
        '  <RectangleLabels name="nodules" toName="image">',
        '    <Label value="nodule"/>',
        '    <Label value="mass"/>',
        "  </RectangleLabels>",
        '  <PolygonLabels name="outline" toName="image">',
        '    <Label value="lung"/>',
        "  </PolygonLabels>",
        '  <BrushLabels name="lesion_mask" toName="image">',
        '    <Label value="GGO &amp; consolidation"/>',
        "  </BrushLabels>",
        '  <Choices name="findings" toName="image" choice="multiple">',
        '    <Choice value="effusion"/>',
        '    <Choice value="say &quot;no&quot;"/>',
        "  </Choices>",
        '  <Choices name="quality" toName="image" choice="single">',
        '    <Choice value="good"/>',
        '    <Choice value="poor"/>',
        "  </Choices>",
        "</View>",
        "",
      ].join("\n"),
    );
  });

  it("collects every problem of the controls", () => {
    let error: unknown;
    try {
      labelStudioConfig([
        { name: "image", kind: "box", labels: ["a"] },
        { name: "nodules", kind: "box", labels: [] },
        { name: "nodules", kind: "mask", labels: ["x", "x"], multiple: true },
        { name: "bad", kind: "ellipse" as "box", labels: ["a"] },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabelStudioError);
    const e = error as LabelStudioError;
    expect(e.code).toBe("label-studio");
    expect(e.issues).toEqual([
      {
        code: "bad-control-name",
        path: [0, "name"],
        message: '"image" cannot name a control: it must be non-empty and not "image" (the Image tag\'s name).',
      },
      { code: "no-labels", path: [1, "labels"], message: 'Control "nodules" has no labels.' },
      {
        code: "duplicate-control",
        path: [2, "name"],
        message:
          'Two controls are named "nodules"; Label Studio needs each from_name once. Give each kind of region its own label set.',
      },
      { code: "bad-label", path: [2, "labels", 1], message: 'Label "x" appears twice in control "nodules".' },
      {
        code: "bad-option",
        path: [2, "multiple"],
        message: '"multiple" applies to choices only; control "nodules" is a mask control.',
      },
      {
        code: "expected-one-of",
        path: [3, "kind"],
        message: 'expected one of "box", "polygon", "mask", "choices", got a string ("ellipse")',
      },
    ]);
    expect(e.message.split("\n")[0]).toBe("The labeling config has 6 problem(s):");
    expect(e.evidence.path).toBe("[0].name");
  });
});

describe("safeImportLabelStudio: conversions", () => {
  it("converts a rectangle from percent of original_width/height to pixels (512 x 512: 10% is 51.2 px)", () => {
    const json = [
      lsTask(7, { image: "/data/local-files/?d=x/images/a.png", radlab_sha256: SHA_A, radlab_frame: 0 }, [
        lsAnnotation({
          id: 21,
          task: 7,
          result: [
            rectangle("Rk3vXb1qP0", 512, 512, { x: 10, y: 20, width: 30, height: 12.5, rectanglelabels: ["nodule"] }),
          ],
        }),
      ]),
    ];
    expect(safeImportLabelStudio(json)).toEqual({
      choices: [],
      annotations: [
        {
          sha256: SHA_A,
          labelSet: "nodules",
          label: "nodule",
          frame: 0,
          geometry: { kind: "box", x: 51.2, y: 102.4, width: 153.6, height: 64 },
          setBy: "label-studio-user-1",
          setAt: "2024-05-02T09:13:55.123Z",
          source: { task: 7, annotation: 21, region: "Rk3vXb1qP0" },
        },
      ],
      skipped: [],
    });
  });

  it("scales x by the width and y by the height of a non-square image", () => {
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 1,
          result: [rectangle("r1", 300, 200, { x: 10, y: 20, width: 30, height: 25, rectanglelabels: ["nodule"] })],
        }),
      ]),
    ];
    const [a] = safeImportLabelStudio(json).annotations;
    expect(a?.geometry).toEqual({ kind: "box", x: 30, y: 40, width: 90, height: 50 });
  });

  it("turns a rotated rectangle into the polygon of its corners, as label_studio_converter's YOLO OBB export does", () => {
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 1,
          result: [
            rectangle("r1", 300, 200, {
              x: 10,
              y: 20,
              width: 30,
              height: 25,
              rotation: 30,
              rectanglelabels: ["nodule"],
            }),
          ],
        }),
      ]),
    ];
    const [a] = safeImportLabelStudio(json).annotations;
    if (a?.geometry.kind !== "polygon") throw new Error(`expected a polygon, got ${a?.geometry.kind}`);
    // label_studio_converter 0.0.59 utils.convert_annotation_to_yolo_obb on the same value, times
    // (300, 200): its corners in pixels.
    const peer = [
      [30.0, 40.0],
      [107.94228634059948, 85.0],
      [82.94228634059948, 128.30127018922195],
      [5.000000000000003, 83.30127018922194],
    ];
    expect(a.geometry.points).toHaveLength(4);
    a.geometry.points.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(peer[i]![0]!, 10);
      expect(y).toBeCloseTo(peer[i]![1]!, 10);
    });
  });

  it("converts polygon points, choices, several labels and both forms of completed_by", () => {
    const json = [
      lsTask(3, { radlab_sha256: SHA_B, radlab_frame: 2, research_id: "S001" }, [
        lsAnnotation({
          id: 9,
          task: 3,
          completed_by: { id: 4, first_name: "", last_name: "", email: "reader@example.org", avatar: null },
          created_at: "2024-05-02T10:00:00Z",
          updated_at: "2024-05-03T11:30:00.5+02:00",
          result: [
            {
              original_width: 200,
              original_height: 100,
              image_rotation: 0,
              value: {
                points: [
                  [10, 10],
                  [50, 10],
                  [50, 80],
                ],
                closed: true,
                polygonlabels: ["lung", "left"],
              },
              id: "p1",
              from_name: "outline",
              to_name: "image",
              type: "polygonlabels",
              origin: "manual",
            },
            {
              value: { choices: ["effusion", "cardiomegaly"] },
              id: "c1",
              from_name: "findings",
              to_name: "image",
              type: "choices",
              origin: "manual",
            },
          ],
        }),
      ]),
      lsTask(4, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 10,
          task: 4,
          completed_by: 5,
          result: [{ value: { choices: ["good"] }, id: "c2", from_name: "quality", to_name: "image", type: "choices" }],
        }),
      ]),
    ];
    const polygon = {
      kind: "polygon",
      points: [
        [20, 10],
        [100, 10],
        [100, 80],
      ],
    };
    const who = { setBy: "reader@example.org", setAt: "2024-05-03T09:30:00.500Z" };
    expect(safeImportLabelStudio(json, { users: { 5: "dr.lee" } })).toEqual({
      choices: [
        {
          sha256: SHA_B,
          labelSet: "findings",
          values: ["effusion", "cardiomegaly"],
          ...who,
          source: { task: 3, annotation: 9, region: "c1" },
        },
        {
          sha256: SHA_A,
          labelSet: "quality",
          values: ["good"],
          setBy: "dr.lee",
          setAt: "2024-05-02T09:13:55.123Z",
          source: { task: 4, annotation: 10, region: "c2" },
        },
      ],
      annotations: ["lung", "left"].map((label) => ({
        sha256: SHA_B,
        labelSet: "outline",
        label,
        frame: 2,
        geometry: polygon,
        ...who,
        source: { task: 3, annotation: 9, region: "p1" },
      })),
      skipped: [],
    });
  });

  it("round-trips a brush: mask -> maskToBrush -> Label Studio result -> import gives the same mask", () => {
    const mask = seededMask(64, 48, 11);
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 1,
          result: [
            {
              original_width: 64,
              original_height: 48,
              image_rotation: 0,
              value: { format: "rle", rle: maskToBrush(mask, 64, 48), brushlabels: ["lesion"] },
              id: "b1",
              from_name: "lesion_mask",
              to_name: "image",
              type: "brushlabels",
              origin: "manual",
            },
          ],
        }),
      ]),
    ];
    const { annotations, skipped } = safeImportLabelStudio(json);
    expect(skipped).toEqual([]);
    expect(annotations).toHaveLength(1);
    const geometry = annotations[0]?.geometry;
    if (geometry?.kind !== "mask") throw new Error(`expected a mask, got ${geometry?.kind}`);
    expect(geometry.mask.rows).toBe(48);
    expect(geometry.mask.columns).toBe(64);
    expect(mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(100);
    expect([...geometry.mask.data]).toEqual([...mask]);
  });

  it("imports the latest annotation that was not cancelled (updated_at, then the higher id)", () => {
    const box = (label: string) => [
      rectangle(label, 100, 100, { x: 1, y: 1, width: 1, height: 1, rectanglelabels: [label] }),
    ];
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({ id: 1, result: box("first"), updated_at: "2024-05-01T00:00:00Z" }),
        lsAnnotation({ id: 2, result: box("cancelled"), updated_at: "2024-06-01T00:00:00Z", was_cancelled: true }),
        lsAnnotation({ id: 3, result: box("latest"), updated_at: "2024-05-20T00:00:00Z" }),
        lsAnnotation({ id: 4, result: box("older"), updated_at: "2024-05-10T00:00:00Z" }),
      ]),
      lsTask(2, { radlab_sha256: SHA_B }, [
        lsAnnotation({ id: 12, result: box("tie-high"), updated_at: "2024-05-20T00:00:00Z" }),
        lsAnnotation({ id: 11, result: box("tie-low"), updated_at: "2024-05-20T00:00:00Z" }),
      ]),
    ];
    expect(safeImportLabelStudio(json).annotations.map((a) => [a.label, a.source.annotation])).toEqual([
      ["latest", 3],
      ["tie-high", 12],
    ]);
  });
});

describe("safeImportLabelStudio: problems", () => {
  it("skips a task without data.radlab_sha256 and imports the others", () => {
    const good = rectangle("r", 100, 100, { x: 1, y: 2, width: 3, height: 4, rectanglelabels: ["nodule"] });
    const json = [
      lsTask(5, { image: "/data/upload/3/scan.png" }, [lsAnnotation({ id: 1, result: [good] })]),
      lsTask(6, { radlab_sha256: SHA_A }, [lsAnnotation({ id: 2, result: [good] })]),
    ];
    const result = safeImportLabelStudio(json);
    expect(result.skipped).toEqual([
      {
        task: 5,
        code: "missing-sha256",
        path: [0, "data", "radlab_sha256"],
        message:
          "Task 5 has no data.radlab_sha256, so it cannot be matched to a stored instance; import tasks made by exportLabelStudioTasks.",
      },
    ]);
    expect(result.annotations.map((a) => [a.sha256, a.source.task])).toEqual([[SHA_A, 6]]);
  });

  it("reports a brush whose RLE does not fit original_width x original_height", () => {
    const rle = maskToBrush(new Uint8Array(64 * 48), 64, 48);
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 1,
          result: [
            {
              original_width: 64,
              original_height: 64,
              image_rotation: 0,
              value: { format: "rle", rle, brushlabels: ["lesion"] },
              id: "b1",
              from_name: "lesion_mask",
              to_name: "image",
              type: "brushlabels",
            },
          ],
        }),
      ]),
    ];
    expect(safeImportLabelStudio(json)).toEqual({
      choices: [],
      annotations: [],
      skipped: [
        {
          task: 1,
          code: "brush-rle",
          path: [0, "annotations", 0, "result", 0, "value", "rle"],
          message: "The brush holds 12288 values, not the 16384 of a 64 x 64 RGBA canvas.",
        },
      ],
    });
  });

  it("keeps a task with an unknown result type out, whole, unless the type is ignored", () => {
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 1,
          result: [
            rectangle("r1", 100, 100, { x: 1, y: 2, width: 3, height: 4, rectanglelabels: ["nodule"] }),
            {
              original_width: 100,
              original_height: 100,
              image_rotation: 0,
              value: { x: 5, y: 5, width: 0.5, keypointlabels: ["apex"] },
              id: "k1",
              from_name: "points",
              to_name: "image",
              type: "keypointlabels",
            },
          ],
        }),
      ]),
    ];
    expect(safeImportLabelStudio(json)).toEqual({
      choices: [],
      annotations: [],
      skipped: [
        {
          task: 1,
          code: "unsupported-result-type",
          path: [0, "annotations", 0, "result", 1, "type"],
          message:
            'Result type "keypointlabels" is not one radlab imports (rectanglelabels, polygonlabels, brushlabels, choices); list it in ignoreResultTypes to leave it out.',
        },
      ],
    });
    const ignored = safeImportLabelStudio(json, { ignoreResultTypes: ["keypointlabels"] });
    expect(ignored.skipped).toEqual([]);
    expect(ignored.annotations.map((a) => a.source.region)).toEqual(["r1"]);
  });

  it("collects every problem of a task: rotated image, open polygon, per-region choices, bad fields", () => {
    const json = [
      lsTask(8, { radlab_sha256: "not-a-hash", radlab_frame: -1 }, [
        lsAnnotation({
          id: 1,
          updated_at: "2024-05-02 09:13:55",
          result: [rectangle("r1", 100, 100, { x: 1, y: 2, width: 3, height: 4, rectanglelabels: ["nodule"] })],
        }),
      ]),
      lsTask(9, { radlab_sha256: SHA_A }, [
        lsAnnotation({
          id: 2,
          result: [
            {
              ...rectangle("r1", 100, 100, { x: 1, y: 2, width: -3, height: 4, rectanglelabels: [] }),
              image_rotation: 90,
            },
            {
              original_width: 100,
              original_height: 100,
              value: {
                points: [
                  [1, 2],
                  [3, 4],
                  [5, "6"],
                ],
                closed: false,
                polygonlabels: ["lung"],
              },
              id: "p1",
              from_name: "outline",
              to_name: "image",
              type: "polygonlabels",
            },
            { value: { choices: ["solid"] }, id: "p1", from_name: "texture", to_name: "image", type: "choices" },
            {
              value: { format: "png", brushlabels: ["x"] },
              id: "b1",
              from_name: "m",
              type: "brushlabels",
              original_width: 4,
              original_height: 4,
            },
          ],
        }),
      ]),
    ];
    const r = [0, "annotations", 0, "result"];
    expect(safeImportLabelStudio(json).skipped).toEqual([
      {
        task: 8,
        code: "bad-sha256",
        path: [0, "data", "radlab_sha256"],
        message: 'Task 8: data.radlab_sha256 "not-a-hash" is not 64 lowercase hex digits.',
      },
      { task: 8, code: "too-small", path: [0, "data", "radlab_frame"], message: "expected a number >= 0, got -1" },
      {
        task: 8,
        code: "bad-timestamp",
        path: [0, "annotations", 0, "updated_at"],
        message: '"2024-05-02 09:13:55" is not an ISO 8601 timestamp with a time zone.',
      },
      {
        task: 9,
        code: "image-rotated",
        path: [1, ...r.slice(1), 0, "image_rotation"],
        message:
          "The image was rotated by 90 degrees in the editor, so the region is not in the instance's pixel grid; reset the rotation in Label Studio and update the annotation.",
      },
      {
        task: 9,
        code: "no-labels",
        path: [1, ...r.slice(1), 0, "value", "rectanglelabels"],
        message: "rectanglelabels is empty: choose a value for it in Label Studio.",
      },
      {
        task: 9,
        code: "too-small",
        path: [1, ...r.slice(1), 0, "value", "width"],
        message: "expected a number >= 0, got -3",
      },
      {
        task: 9,
        code: "polygon-open",
        path: [1, ...r.slice(1), 1, "value", "closed"],
        message: "The polygon is not closed; close it in Label Studio.",
      },
      {
        task: 9,
        code: "expected-number",
        path: [1, ...r.slice(1), 1, "value", "points", 2, 1],
        message: 'expected a finite number, got a string ("6")',
      },
      {
        task: 9,
        code: "brush-format",
        path: [1, ...r.slice(1), 3, "value", "format"],
        message: 'Brush format "png" is not "rle", the one Label Studio exports.',
      },
      {
        task: 9,
        code: "per-region-choices",
        path: [1, ...r.slice(1)],
        message: 'Choices "texture" belong to region p1 (perRegion); radlab imports image-level choices only.',
      },
    ]);
  });

  it("lists tasks without an annotation to import as no-annotation", () => {
    const json = [
      lsTask(1, { radlab_sha256: SHA_A }, []),
      lsTask(2, { radlab_sha256: SHA_B }, [lsAnnotation({ id: 3, result: [], was_cancelled: true })]),
    ];
    expect(safeImportLabelStudio(json)).toEqual({
      choices: [],
      annotations: [],
      skipped: [
        { task: 1, code: "no-annotation", path: [0, "annotations"], message: "Task 1 has no annotation to import." },
        {
          task: 2,
          code: "no-annotation",
          path: [1, "annotations"],
          message: "Task 2 has no annotation to import (1 cancelled).",
        },
      ],
    });
  });

  it("says what to pass when given the file text or an object instead of the task array", () => {
    expect(safeImportLabelStudio('[{"id": 1}]').skipped).toEqual([
      {
        task: null,
        code: "expected-array",
        path: [],
        message: "A Label Studio JSON export is an array of tasks, got a string: pass JSON.parse(text).",
      },
    ]);
    expect(safeImportLabelStudio({ tasks: [] }).skipped[0]?.message).toBe(
      "A Label Studio JSON export is an array of tasks, got a object.",
    );
    expect(safeImportLabelStudio([42]).skipped).toEqual([
      { task: null, code: "expected-object", path: [0], message: "expected an object, got the number 42" },
    ]);
  });
});

describe("importLabelStudio", () => {
  it("throws label-studio with every problem, but not for unannotated tasks", () => {
    const json = [
      lsTask(1, {}, [lsAnnotation({ id: 1, result: [] })]),
      lsTask(2, { radlab_sha256: SHA_A }, []),
      lsTask(3, { radlab_sha256: SHA_B }, [
        lsAnnotation({ id: 2, result: [{ id: "x", type: "ellipselabels", from_name: "e", value: {} }] }),
      ]),
    ];
    let error: unknown;
    try {
      importLabelStudio(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabelStudioError);
    expect(error).toBeInstanceOf(RadlabError);
    const e = error as LabelStudioError;
    expect(e.code).toBe("label-studio");
    expect(e.issues.map((i) => i.code)).toEqual(["missing-sha256", "unsupported-result-type"]);
    expect(e.evidence.path).toBe("[0].data.radlab_sha256");
    expect(e.message).toBe(
      [
        "The Label Studio export has 2 problem(s) in 2 task(s):",
        "  [0].data.radlab_sha256: Task 1 has no data.radlab_sha256, so it cannot be matched to a stored instance; import tasks made by exportLabelStudioTasks.",
        '  [2].annotations[0].result[0].type: Result type "ellipselabels" is not one radlab imports (rectanglelabels, polygonlabels, brushlabels, choices); list it in ignoreResultTypes to leave it out.',
        "How to fix: Fix the tasks named in Label Studio and export again, or use safeImportLabelStudio to import the other tasks; nothing was imported.",
      ].join("\n"),
    );
    expect(importLabelStudio([json[1]]).skipped.map((s) => s.code)).toEqual(["no-annotation"]);
  });
});

describe("exportLabelStudioTasks", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-label-studio-"));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const ds = () => readDicom(fs.readFileSync(CT_SMALL), { file: CT_SMALL });
  const mask = seededMask(128, 128, 5);
  const annotations: Annotation[] = [
    {
      sha256: SHA_A,
      labelSet: "nodules",
      label: "nodule",
      frame: 0,
      geometry: { kind: "box", x: 12.8, y: 32, width: 16, height: 8 },
    },
    {
      sha256: SHA_A,
      labelSet: "outline",
      label: "lung",
      frame: 0,
      geometry: {
        kind: "polygon",
        points: [
          [10, 20],
          [64, 20],
          [40, 96.5],
        ],
      },
    },
    {
      sha256: SHA_A,
      labelSet: "lesion",
      label: "GGO",
      frame: 0,
      geometry: { kind: "mask", mask: { rows: 128, columns: 128, data: mask } },
    },
    // Another frame and an instance not exported: returned unused.
    {
      sha256: SHA_A,
      labelSet: "nodules",
      label: "nodule",
      frame: 1,
      geometry: { kind: "box", x: 0, y: 0, width: 1, height: 1 },
    },
    {
      sha256: SHA_B,
      labelSet: "nodules",
      label: "nodule",
      frame: 0,
      geometry: { kind: "box", x: 0, y: 0, width: 1, height: 1 },
    },
  ];
  const choices: LabelStudioChoice[] = [{ sha256: SHA_A, labelSet: "quality", values: ["good"] }];
  const controls = [
    { name: "nodules", kind: "box", labels: ["nodule"] },
    { name: "outline", kind: "polygon", labels: ["lung"] },
    { name: "lesion", kind: "mask", labels: ["GGO"] },
    { name: "quality", kind: "choices", labels: ["good", "poor"] },
  ] as const;

  it("renders the PNG with the window, writes tasks.json with predictions in percent, and round-trips", async () => {
    const folder = path.join(tmp, "ls");
    const summary = await exportLabelStudioTasks(
      (async function* () {
        yield { sha256: SHA_A, dataset: ds(), data: { research_id: "S001", slice: 3 } };
      })(),
      { folder, window: "lung", urlPrefix: "http://localhost:8081/", annotations, choices, controls: [...controls] },
    );
    const png = path.join(folder, "images", `${SHA_A}.png`);
    expect(summary).toEqual({
      count: 1,
      tasksFile: path.join(folder, "tasks.json"),
      images: [png],
      predictions: 4,
      configFile: path.join(folder, "label-config.xml"),
      labelConfig: labelStudioConfig([...controls]),
      unused: { annotations: [annotations[3], annotations[4]], choices: [] },
    });
    expect(fs.readFileSync(path.join(folder, "label-config.xml"), "utf8")).toBe(labelStudioConfig([...controls]));

    // The PNG is CT_small (128 x 128) rendered with the lung window, byte for byte.
    const decoded = PNG.sync.read(fs.readFileSync(png));
    expect([decoded.width, decoded.height]).toEqual([128, 128]);
    const d = ds();
    const expected = renderFrame(d, await decodeFrame(d, 0), "lung");
    expect(Buffer.from(decoded.data).equals(Buffer.from(expected.rgba))).toBe(true);
    const abdomen = renderFrame(d, await decodeFrame(d, 0), "abdomen");
    expect(Buffer.from(decoded.data).equals(Buffer.from(abdomen.rgba))).toBe(false);

    const tasks = JSON.parse(fs.readFileSync(summary.tasksFile, "utf8")) as {
      data: unknown;
      predictions: { model_version: string; result: Record<string, unknown>[] }[];
    }[];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.data).toEqual({
      image: `http://localhost:8081/images/${SHA_A}.png`,
      radlab_sha256: SHA_A,
      radlab_frame: 0,
      research_id: "S001",
      slice: 3,
    });
    const result = tasks[0]?.predictions[0]?.result ?? [];
    expect(tasks[0]?.predictions.map((p) => p.model_version)).toEqual(["radlab"]);
    const frame = { to_name: "image", original_width: 128, original_height: 128, image_rotation: 0 };
    expect(result.slice(0, 2)).toEqual([
      {
        id: "radlab-0",
        type: "rectanglelabels",
        from_name: "nodules",
        ...frame,
        value: { x: 10, y: 25, width: 12.5, height: 6.25, rotation: 0, rectanglelabels: ["nodule"] },
      },
      {
        id: "radlab-1",
        type: "polygonlabels",
        from_name: "outline",
        ...frame,
        value: {
          points: [
            [7.8125, 15.625],
            [50, 15.625],
            [31.25, 75.390625],
          ],
          closed: true,
          polygonlabels: ["lung"],
        },
      },
    ]);
    expect(result[2]).toEqual({
      id: "radlab-2",
      type: "brushlabels",
      from_name: "lesion",
      ...frame,
      value: { format: "rle", rle: maskToBrush(mask, 128, 128), brushlabels: ["GGO"] },
    });
    expect(result[3]).toEqual({
      id: "radlab-3",
      type: "choices",
      from_name: "quality",
      to_name: "image",
      value: { choices: ["good"] },
    });

    // An annotator accepts the pre-annotations unchanged; Label Studio exports them as an annotation.
    const exportJson = JSON.parse(
      JSON.stringify(
        tasks.map((t, i) =>
          lsTask(40 + i, t.data as Record<string, unknown>, [
            lsAnnotation({ id: 70, task: 40 + i, result: t.predictions[0]?.result ?? [] }),
          ]),
        ),
      ),
    ) as unknown;
    const back = importLabelStudio(exportJson);
    expect(back.skipped).toEqual([]);
    expect(
      back.annotations.map(({ sha256, labelSet, label, frame, geometry }) => ({
        sha256,
        labelSet,
        label,
        frame,
        geometry,
      })),
    ).toEqual(annotations.slice(0, 3));
    expect(back.choices.map(({ sha256, labelSet, values }) => ({ sha256, labelSet, values }))).toEqual(choices);
  });

  it("scales by width and height separately on a non-square colour image (80 x 60)", async () => {
    const file = path.resolve(CT_SMALL, "../ExplVR_BigEnd.dcm");
    const dataset = readDicom(fs.readFileSync(file), { file });
    const box: Annotation = {
      sha256: SHA_B,
      labelSet: "nodules",
      label: "nodule",
      frame: 0,
      geometry: { kind: "box", x: 8, y: 12, width: 20, height: 30 },
    };
    const summary = await exportLabelStudioTasks([{ sha256: SHA_B, dataset }], {
      folder: tmp,
      window: "lung",
      annotations: [box],
    });
    const decoded = PNG.sync.read(fs.readFileSync(summary.images[0]!));
    expect([decoded.width, decoded.height]).toEqual([80, 60]);
    const tasks = JSON.parse(fs.readFileSync(summary.tasksFile, "utf8")) as {
      data: Record<string, unknown>;
      predictions: { result: Record<string, unknown>[] }[];
    }[];
    const result = tasks[0]?.predictions[0]?.result ?? [];
    expect(result.map((r) => [r["original_width"], r["original_height"], r["value"]])).toEqual([
      [80, 60, { x: 10, y: 20, width: 25, height: 50, rotation: 0, rectanglelabels: ["nodule"] }],
    ]);
    const back = importLabelStudio([lsTask(1, tasks[0]!.data, [lsAnnotation({ id: 1, result })])]);
    expect(back.annotations.map((a) => a.geometry)).toEqual([box.geometry]);
  });

  it("defaults the URL to Label Studio's local files storage and leaves predictions out when there are none", async () => {
    const folder = path.join(tmp, "ct-export");
    const summary = await exportLabelStudioTasks([{ sha256: SHA_B, dataset: ds() }], { folder, window: "auto" });
    expect(summary.predictions).toBe(0);
    expect(summary.configFile).toBeNull();
    expect(fs.existsSync(path.join(folder, "label-config.xml"))).toBe(false);
    expect(JSON.parse(fs.readFileSync(summary.tasksFile, "utf8"))).toEqual([
      { data: { image: `/data/local-files/?d=ct-export/images/${SHA_B}.png`, radlab_sha256: SHA_B, radlab_frame: 0 } },
    ]);
  });

  it("checks the pre-annotations against the controls before writing anything", async () => {
    const folder = path.join(tmp, "bad");
    const bad: Annotation[] = [
      {
        sha256: SHA_A,
        labelSet: "nodules",
        label: "mass",
        frame: 0,
        geometry: { kind: "box", x: 0, y: 0, width: 1, height: 1 },
      },
      {
        sha256: SHA_A,
        labelSet: "nodules",
        label: "nodule",
        frame: 0,
        geometry: {
          kind: "polygon",
          points: [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
        },
      },
      {
        sha256: SHA_A,
        labelSet: "organs",
        label: "liver",
        frame: 0,
        geometry: { kind: "box", x: 0, y: 0, width: 1, height: 1 },
      },
    ];
    const attempt = exportLabelStudioTasks([{ sha256: SHA_A, dataset: ds() }], {
      folder,
      window: "lung",
      frame: 0.5,
      annotations: bad,
      choices: [{ sha256: SHA_A, labelSet: "quality", values: [] }],
      controls: [...controls],
    });
    await expect(attempt).rejects.toThrow(LabelStudioError);
    const error = (await attempt.catch((e: unknown) => e)) as LabelStudioError;
    expect(error.issues).toEqual([
      { code: "expected-integer", path: ["frame"], message: "expected an integer, got 0.5" },
      { code: "unknown-label", path: ["annotations", 0], message: 'Control "nodules" has no label "mass".' },
      {
        code: "mixed-kinds",
        path: ["annotations", 1],
        message: 'Label set "nodules" holds both box and polygon values; a Label Studio control draws one kind.',
      },
      {
        code: "no-control",
        path: ["annotations", 2],
        message: 'No box control is named "organs"; Label Studio would not show this pre-annotation.',
      },
      {
        code: "no-labels",
        path: ["choices", 0],
        message: 'A "quality" value is missing or empty; Label Studio needs a label.',
      },
    ]);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it("refuses a hash that is not a SHA-256 (it names a file), a reserved data key, and a mask of another size", async () => {
    const folder = path.join(tmp, "x");
    await expect(
      exportLabelStudioTasks([{ sha256: "../../etc/passwd", dataset: ds() }], { folder, window: "lung" }),
    ).rejects.toThrow(
      'items[0]: "../../etc/passwd" is not a SHA-256 content hash.\nHow to fix: Pass the sha256 column of store.catalog(): 64 lowercase hex digits.',
    );
    await expect(
      exportLabelStudioTasks([{ sha256: SHA_A, dataset: ds(), data: { image: "x" } }], { folder, window: "lung" }),
    ).rejects.toMatchObject({ code: "label-studio", evidence: { path: "items[0].data.image" } });
    await expect(
      exportLabelStudioTasks(
        [
          { sha256: SHA_A, dataset: ds() },
          { sha256: SHA_A, dataset: ds() },
        ],
        { folder, window: "lung" },
      ),
    ).rejects.toThrow(`items[1]: instance ${SHA_A} is exported twice.`);
    const small: Annotation = {
      sha256: SHA_A,
      labelSet: "lesion",
      label: "GGO",
      frame: 0,
      geometry: { kind: "mask", mask: { rows: 64, columns: 64, data: new Uint8Array(64 * 64) } },
    };
    await expect(
      exportLabelStudioTasks([{ sha256: SHA_A, dataset: ds() }], { folder, window: "lung", annotations: [small] }),
    ).rejects.toThrow(`A "lesion" mask on ${SHA_A} is 64 x 64 (4096 pixels); the image is 128 x 128.`);
    // No task list is left behind by a failed export.
    expect(fs.existsSync(path.join(folder, "tasks.json"))).toBe(false);
  });
});
