# Times Godot 3's load + instance + add to the tree of the scenes named in res://config.json, from the
# binary .scn that this script first converts each .tscn into (ResourceSaver picks the format by
# extension). Run headless by bench/scene-load.ts:
#   godot3-server --path <dir> --script res://measure.gd
# Prints one line: SCENETREE_RESULT {"flat": {"load": [ms...], "instance": [...], "enter": [...]}, ...}
extends SceneTree

func _initialize():
	var file = File.new()
	file.open("res://config.json", File.READ)
	var config = parse_json(file.get_as_text())
	file.close()
	var out = {}
	for shape in config["shapes"]:
		var binary = "res://%s.scn" % shape
		var saved = ResourceSaver.save(binary, ResourceLoader.load("res://%s.tscn" % shape, "", true))
		if saved != OK:
			out[shape] = {"error": "ResourceSaver.save failed: %d" % saved}
			continue
		var loads = []
		var instances = []
		var enters = []
		# Two warm-up runs, as the JavaScript side has.
		for run in range(int(config["runs"]) + 2):
			var t0 = OS.get_ticks_usec()
			var scene = ResourceLoader.load(binary, "", true)
			var t1 = OS.get_ticks_usec()
			var node = scene.instance()
			var t2 = OS.get_ticks_usec()
			get_root().add_child(node)
			var t3 = OS.get_ticks_usec()
			get_root().remove_child(node)
			node.free()
			if run >= 2:
				loads.append((t1 - t0) / 1000.0)
				instances.append((t2 - t1) / 1000.0)
				enters.append((t3 - t2) / 1000.0)
		out[shape] = {"load": loads, "instance": instances, "enter": enters}
	print("SCENETREE_RESULT " + to_json(out))
	quit()
