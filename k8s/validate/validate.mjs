// Validates k8s/ offline (no cluster, no schema download): every object of every file that
// k8s/kustomization.yaml lists, against the Kubernetes API schema, and the references between them.
//   node k8s/validate/validate.mjs [--json]       (after: npm ci --prefix k8s/validate)
//   node k8s/validate/validate.mjs --rendered FILE  (FILE: the output of kubectl kustomize k8s/)
// Checks, each failure one line "file: kind/name: path: message", exit status 1 if any:
//  - YAML: parse errors, duplicate keys, a document without apiVersion/kind/metadata.name;
//  - schema: types, required fields, enums and formats (kubernetes-models' JSON schemas, Kubernetes 1.3x
//    OpenAPI) and unknown fields, which those schemas let through (@kubernetes/client-node's field lists);
//  - kustomization: listed files exist, generators are well formed;
//  - references: ConfigMaps and Secrets a pod uses are defined here or generated, selectors match the pod
//    labels, Service target ports and probe ports name container ports, the StatefulSet's serviceName is a
//    headless Service.
// With --json it prints {"kustomization": ..., "objects": [{"file", "object"}...]} (K8sManifestTest reads it).
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";
import * as k8s from "@kubernetes/client-node";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8"), { uniqueKeys: true });
// --rendered FILE: check kustomize's output instead (kubectl kustomize k8s/ > FILE), generated Secrets included.
const rendered = process.argv.indexOf("--rendered");
const files = rendered > 0 ? [process.argv[rendered + 1]] : (kustomization.resources ?? []).map((f) => join(dir, f));
const objects = [];
for (const path of files) {
  const file = path.startsWith(dir + "/") ? path.slice(dir.length + 1) : path;
  if (!existsSync(path)) { fail("kustomization.yaml", `resource ${file} does not exist`); continue; }
  for (const doc of parseAllDocuments(readFileSync(path, "utf8"), { uniqueKeys: true })) {
    for (const e of [...doc.errors, ...doc.warnings]) fail(file, e.message);
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    objects.push({ file, object });
  }
}
const generated = { Secret: new Set(), ConfigMap: new Set() };
for (const [key, kind] of [["secretGenerator", "Secret"], ["configMapGenerator", "ConfigMap"]]) {
  for (const g of rendered > 0 ? [] : kustomization[key] ?? []) {
    const known = new Set(["name", "namespace", "behavior", "files", "literals", "envs", "type", "options"]);
    for (const k of Object.keys(g)) if (!known.has(k)) fail("kustomization.yaml", `${key} ${g.name}: unknown field ${k}`);
    if (!g.name) fail("kustomization.yaml", `${key}: an entry without a name`);
    if (!(g.files?.length || g.literals?.length || g.envs?.length)) fail("kustomization.yaml", `${key} ${g.name}: no content`);
    for (const f of g.files ?? []) if (!/^[-._a-zA-Z0-9]+=secrets\/[-._a-zA-Z0-9]+$/.test(f) && !/^[^=]+$/.test(f)) {
      fail("kustomization.yaml", `${key} ${g.name}: bad file entry ${f}`);
    }
    generated[kind].add(g.name);
  }
}

for (const { file, object } of objects) {
  const where = `${file}: ${object.kind}/${object.metadata?.name}`;
  if (!object.apiVersion || !object.kind || !object.metadata?.name) { fail(where, "needs apiVersion, kind and metadata.name"); continue; }
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group ? group + "/" : ""}${version}/${object.kind}`))[object.kind];
  } catch {
    fail(where, `unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    // The API server's base64 decoder skips line breaks, which kustomize puts into long Secret values.
    const unwrapped = object.kind === "Secret" && object.data
      ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/[\r\n]/g, "")])) }
      : object;
    new Model(unwrapped).validate();
  } catch (e) {
    fail(where, e.message);
  }
  const typeName = version[0].toUpperCase() + version.slice(1) + object.kind;
  if (!k8s[typeName]) fail(where, `no field list for ${typeName}`);
  else unknownFields(object, typeName, "", where);
}
checkReferences();

if (errors.length) {
  for (const e of errors) console.error(e);
  console.error(`k8s manifests: ${errors.length} error(s)`);
  process.exit(1);
}
if (process.argv.includes("--json")) console.log(JSON.stringify({ kustomization, objects }));
else console.log(`k8s manifests: ${objects.length} objects valid`);

/** Every field of value must be one the API type declares, recursively through nested types. */
function unknownFields(value, type, path, where) {
  const nested = type.match(/^Array<(.+)>$/) ?? type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (nested) {
    if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, nested[1], `${path}/${k}`, where);
    return;
  }
  const model = k8s[type];
  if (!model?.getAttributeTypeMap || value === null || typeof value !== "object" || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) fail(where, `${path || "/"}: unknown field "${k}"`);
    else unknownFields(v, fields.get(k), `${path}/${k}`, where);
  }
}

function checkReferences() {
  const defined = (kind, name) => generated[kind].has(name)
    || objects.some(({ object }) => object.kind === kind && object.metadata.name === name);
  for (const { file, object } of objects) {
    const pod = object.spec?.template?.spec;
    if (!pod) continue;
    const where = `${file}: ${object.kind}/${object.metadata.name}`;
    const labels = object.spec.template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(object.spec.selector?.matchLabels ?? {})) {
      if (labels[k] !== v) fail(where, `selector ${k}=${v} does not match the pod template's labels`);
    }
    for (const v of pod.volumes ?? []) {
      if (v.configMap && !defined("ConfigMap", v.configMap.name)) fail(where, `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
      if (v.secret && !defined("Secret", v.secret.secretName)) fail(where, `volume ${v.name}: no Secret ${v.secret.secretName}`);
    }
    const volumes = new Set([...(pod.volumes ?? []), ...(object.spec.volumeClaimTemplates ?? []).map((t) => t.metadata)].map((v) => v.name));
    for (const c of pod.containers ?? []) {
      const ports = new Set((c.ports ?? []).map((p) => p.name));
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        const kind = e.valueFrom?.secretKeyRef ? "Secret" : "ConfigMap";
        if (ref && !defined(kind, ref.name)) fail(where, `env ${e.name}: no ${kind} ${ref.name}`);
      }
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) fail(where, `mount ${m.mountPath}: no volume ${m.name}`);
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === "string" && !ports.has(port)) fail(where, `${probe}: no container port named ${port}`);
      }
      for (const { object: svc } of objects.filter(({ object: o }) => o.kind === "Service")) {
        const selects = Object.entries(svc.spec.selector ?? {}).every(([k, v]) => labels[k] === v);
        if (!selects) continue;
        for (const p of svc.spec.ports ?? []) {
          if (typeof p.targetPort === "string" && !ports.has(p.targetPort)) {
            fail(`Service/${svc.metadata.name}`, `targetPort ${p.targetPort} is no port of ${object.kind}/${object.metadata.name}`);
          }
        }
      }
    }
    if (object.kind === "StatefulSet") {
      const svc = objects.find(({ object: o }) => o.kind === "Service" && o.metadata.name === object.spec.serviceName);
      if (!svc || svc.object.spec.clusterIP !== "None") fail(where, `serviceName ${object.spec.serviceName} is not a headless Service here`);
    }
  }
  for (const { file, object } of objects.filter(({ object: o }) => o.kind === "PodDisruptionBudget")) {
    const sel = object.spec?.selector?.matchLabels ?? {};
    const covers = objects.some(({ object: o }) => o.spec?.template && Object.entries(sel).every(([k, v]) => o.spec.template.metadata?.labels?.[k] === v));
    if (!covers) fail(`${file}: PodDisruptionBudget/${object.metadata.name}`, "selects no pods of these workloads");
  }
}
