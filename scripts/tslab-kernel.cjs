#!/usr/bin/env node
// Starts the tslab kernel with two fixes; the kernelspec that `make setup` writes runs this file.
//
// 1. tslab 1.0.22 starts reading its zeromq sockets before binding them. With zeromq 6 that races
//    ("Socket is blocked by a bind or unbind operation"): the shell loop dies and the kernel never
//    answers kernel_info, so JupyterLab shows "Connecting" forever (nbclient is usually lucky).
//    Here the sockets are bound first and read after, the order zeromq requires.
// 2. Like ipykernel, the kernel exits when the process that started it is gone, so a killed
//    Jupyter server (or test) never leaves an orphan kernel holding its pipes open.
//
// Usage (as in kernel.json): node tslab-kernel.cjs --config-path {connection_file} [--js]
"use strict";
const fs = require("node:fs");
const { createRequire } = require("node:module");

const tslabRequire = createRequire(require.resolve("tslab/package.json"));
const { ZmqServer } = tslabRequire("./dist/jupyter.js");
const { startKernel } = tslabRequire("./dist/main.js");

async function serve(socket, handle) {
  for await (const frames of socket) handle(frames);
}

ZmqServer.prototype.init = async function init() {
  const info = JSON.parse(fs.readFileSync(this.configPath, "utf-8"));
  this.connInfo = info;
  const zmq = tslabRequire("zeromq");
  this.iopub = new zmq.Publisher();
  this.shell = new zmq.Router();
  this.control = new zmq.Router();
  this.stdin = new zmq.Router();
  this.hb = new zmq.Reply();
  await Promise.all([
    this.bindSocket(this.iopub, info.iopub_port),
    this.bindSocket(this.shell, info.shell_port),
    this.bindSocket(this.control, info.control_port),
    this.bindSocket(this.stdin, info.stdin_port),
    this.bindSocket(this.hb, info.hb_port),
  ]);
  void serve(this.shell, (frames) => this.handleShellMessage(this.shell, ...frames));
  void serve(this.control, (frames) => this.handleShellMessage(this.control, ...frames));
  void serve(this.hb, (frames) => this.hb.send(frames));
};

const args = process.argv.slice(2);
const configIndex = args.indexOf("--config-path");
if (configIndex < 0 || args[configIndex + 1] === undefined) {
  process.stderr.write("usage: tslab-kernel.cjs --config-path <connection file> [--js]\n");
  process.exit(2);
}

const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(0);
}, 1000).unref();

startKernel({ configPath: args[configIndex + 1], enableFindLocal: false, jsKernel: args.includes("--js") });
