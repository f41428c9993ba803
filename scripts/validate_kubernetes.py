#!/usr/bin/env python3
"""Checks deploy/kubernetes offline: every manifest against the Kubernetes schemas
(kubernetes-validate, strict), the kustomization's resource list, and the operational rules the
README promises (replicas, probes, non-root numeric user, read-only root, dropped capabilities, a
termination grace above the drain delay plus the shutdown grace, scrape annotations, HPA, PDB).

    python3 scripts/validate_kubernetes.py
"""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "kubernetes")


def main() -> int:
    problems: list[str] = []
    with open(os.path.join(ROOT, "kustomization.yaml"), encoding="utf-8") as fh:
        kustomization = yaml.safe_load(fh)
    files = [os.path.join(ROOT, name) for name in kustomization["resources"]]
    for path in files:
        if not os.path.exists(path):
            problems.append(f"kustomization lists {path}, which does not exist")
    result = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", *files],
                            capture_output=True, text=True)
    print(result.stdout.strip() or result.stderr.strip())
    if result.returncode != 0:
        problems.append("kubernetes-validate failed")
    documents = {}
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for document in yaml.safe_load_all(fh):
                documents[document["kind"]] = document

    deployment = documents.get("Deployment")
    if deployment is None:
        problems.append("no Deployment")
    else:
        spec = deployment["spec"]
        pod = spec["template"]["spec"]
        container = pod["containers"][0]
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        checks = [
            (spec.get("replicas", 1) >= 2, "at least 2 replicas"),
            (container["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness on /readyz"),
            (container["livenessProbe"]["httpGet"]["path"] == "/healthz", "liveness on /healthz"),
            (pod["securityContext"].get("runAsNonRoot") is True, "runAsNonRoot"),
            (pod["securityContext"].get("runAsUser") == 10001, "runAsUser 10001 (the image's USER)"),
            (container["securityContext"].get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem"),
            (container["securityContext"].get("allowPrivilegeEscalation") is False, "no privilege escalation"),
            (container["securityContext"].get("capabilities", {}).get("drop") == ["ALL"], "all capabilities dropped"),
            ("requests" in container.get("resources", {}) and "limits" in container.get("resources", {}),
             "resource requests and limits"),
            (pod.get("terminationGracePeriodSeconds", 30)
             > int(env.get("LRSCHED_DRAIN_DELAY", "5")) + int(env.get("LRSCHED_SHUTDOWN_GRACE", "10")),
             "terminationGracePeriodSeconds above drain delay + shutdown grace"),
            (spec["template"]["metadata"].get("annotations", {}).get("prometheus.io/scrape") == "true",
             "Prometheus scrape annotations"),
        ]
        problems += [f"Deployment: {what}" for ok, what in checks if not ok]
    for kind in ("Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        if kind not in documents:
            problems.append(f"no {kind}")
    for problem in problems:
        print("FAIL", problem)
    print("kubernetes manifests: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
