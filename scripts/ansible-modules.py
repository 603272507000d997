# pgha's bridge to the controller's Ansible, for modules pgha has no implementation of. Run by the python
# that runs ansible-playbook, so it sees the same ansible-core, collections and configuration.
#   resolve: stdin {"names": [[name, [collection, ...]], ...]} -> stdout {"version", "watch", "answers"}:
#            each name as ansible's module loader resolves it (routing, redirects, deprecations, tombstones).
#   serve:   JSON lines; each request {"id", "name", "path", "args", "internal"} is answered by one line
#            {"id", "payload": base64 AnsiballZ} or {"id", "error"}, built by ansible's own modify_module.
# Nothing is written to disk here but what ansible itself caches (module code, never arguments).
import base64
import json
import os
import re
import sys


def fail_import(err):
    json.dump({"missing": str(err)}, sys.stdout)
    sys.exit(3)


try:
    from ansible import constants as C
    from ansible.errors import AnsibleError
    from ansible.release import __version__
    from ansible.plugins.loader import action_loader, module_loader
    from ansible.utils.collection_loader import AnsibleCollectionConfig
except ImportError as err:
    fail_import(err)


def watched():
    """Directories whose change can change an answer: ansible itself, every collection root and collection."""
    import ansible
    roots = [os.path.dirname(ansible.__file__)] + list(AnsibleCollectionConfig.collection_paths)
    roots += [os.path.join(p, "ansible_collections") for p in sys.path if p]
    out = []
    for root in roots:
        if os.path.isdir(root):
            out.append(root)
            ac = root if root.endswith("ansible_collections") else os.path.join(root, "ansible_collections")
            if os.path.isdir(ac):
                out.append(ac)
                for ns in sorted(os.listdir(ac)):
                    nsdir = os.path.join(ac, ns)
                    if not os.path.isdir(nsdir):
                        continue
                    out.append(nsdir)
                    for coll in sorted(os.listdir(nsdir)):  # a collection's routing and modules, replaced in place by an upgrade
                        out += [os.path.join(nsdir, coll, sub) for sub in ("", "meta", "plugins/modules")]
    out = [p for p in out if os.path.isdir(p)]
    return sorted(set(out))


# `name=dict(..., no_log=True ...)` or `'name': dict(...)` / `'name': {..., 'no_log': True}` in a module's spec.
NO_LOG = re.compile(r"no_log['\"]?\s*[:=]\s*True")
SPEC_ENTRY = re.compile(r"(?:\b(\w+)\s*=\s*dict\(|['\"](\w+)['\"]\s*:\s*(?:dict\(|\{))")


def no_log_params(path):
    """The parameters a module's argument spec marks no_log, as far as its own source shows them."""
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
    except OSError:
        return []
    names = set()
    for m in NO_LOG.finditer(src):
        entries = list(SPEC_ENTRY.finditer(src, max(0, m.start() - 400), m.start()))
        if entries:
            names.add(entries[-1].group(1) or entries[-1].group(2))
    return sorted(names)


def resolve_one(name, collections):
    # As Ansible's CollectionSearch: a task given collections still finds ansible's own modules after them.
    cols = list(collections) or None
    if cols and "ansible.builtin" not in cols and "ansible.legacy" not in cols:
        cols.append("ansible.legacy")
    try:
        # As Ansible's task parser: an action plugin of the name wins over a module of it.
        action = action_loader.find_plugin_with_context(name, collection_list=cols)
        ctx = module_loader.find_plugin_with_context(name, collection_list=cols)
    except AnsibleError as err:  # a tombstone, a redirect loop, an unsupported collection
        return {"error": str(err).strip()}
    if action.resolved:
        return {"action": action.resolved_fqcn or action.plugin_resolved_name}
    if ctx.resolved and ctx.plugin_resolved_path:
        path = ctx.plugin_resolved_path
        if not path.endswith(".py"):
            return {"error": "'%s' resolves to %s, which is not a Python module" % (name, path)}
        return {"fqcn": ctx.resolved_fqcn or ctx.plugin_resolved_name, "path": path,
                "deprecations": list(ctx.deprecation_warnings or []), "secrets": no_log_params(path)}
    return {"missing": True}


def resolve(request):
    answers = [resolve_one(name, cols) for name, cols in request["names"]]
    return {"version": __version__, "watch": watched(), "answers": answers}


def internal_args(name, o):
    """ActionBase._update_module_args, from the task's settings pgha sends and ansible's configuration."""
    return {
        "_ansible_check_mode": bool(o.get("check")),
        "_ansible_no_log": bool(o.get("no_log")) or bool(C.config.get_config_value("DEFAULT_NO_TARGET_SYSLOG")),
        "_ansible_debug": C.DEFAULT_DEBUG,
        "_ansible_diff": bool(o.get("diff")),
        "_ansible_verbosity": int(o.get("verbosity", 0)),
        "_ansible_version": __version__,
        "_ansible_module_name": name,
        "_ansible_syslog_facility": o.get("syslog_facility") or C.DEFAULT_SYSLOG_FACILITY,
        "_ansible_selinux_special_fs": C.DEFAULT_SELINUX_SPECIAL_FS,
        "_ansible_string_conversion_action": C.STRING_CONVERSION_ACTION,
        "_ansible_socket": None,
        "_ansible_shell_executable": C.DEFAULT_EXECUTABLE,
        "_ansible_keep_remote_files": C.DEFAULT_KEEP_REMOTE_FILES,
        "_ansible_tmpdir": None,
        "_ansible_remote_tmp": remote_tmp(o.get("remote_tmp")),
    }


def remote_tmp(var):
    """The sh shell plugin's remote_tmp, as ActionBase.get_shell_option reads it: the host's
    ansible_remote_tmp, else ANSIBLE_REMOTE_TEMP or ansible.cfg, else ~/.ansible/tmp."""
    from ansible.plugins.loader import shell_loader
    shell = shell_loader.get("sh")
    shell.set_options(var_options={"ansible_remote_tmp": var} if var else {})
    return shell.get_option("remote_tmp")


def payload(request):
    from ansible.executor.module_common import modify_module
    from ansible.template import Templar
    from ansible.parsing.dataloader import DataLoader
    args = dict(request["args"])
    args.update(internal_args(request["name"], request.get("internal", {})))
    task_vars = {"ansible_python_interpreter": request.get("python") or "/usr/bin/python3"}
    data, style, _ = modify_module(request["name"], request["path"], args, Templar(loader=DataLoader()),
                                   task_vars=task_vars, module_compression=C.DEFAULT_MODULE_COMPRESSION)
    if style != "new":
        raise AnsibleError("%s is a %s-style module; pgha runs only AnsibleModule (new-style) modules this way" % (request["name"], style))
    return base64.b64encode(data).decode("ascii")


def serve(out):
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"id": request["id"], "payload": payload(request)}
        except Exception as err:  # one module that cannot be built is that task's failure, not the helper's
            answer = {"id": request["id"], "error": "%s: %s" % (type(err).__name__, err)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    # Ansible's display writes deprecations and warnings to stdout/stderr: keep stdout for the answers.
    out, sys.stdout = sys.stdout, sys.stderr
    if sys.argv[1:] == ["resolve"]:
        json.dump(resolve(json.load(sys.stdin)), out)
    elif sys.argv[1:] == ["serve"]:
        serve(out)
    else:
        sys.exit("usage: ansible-modules.py resolve|serve")
