package gcpfake

import (
	"net/http"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// instanceRoutes are the zonal instances methods the Fake serves for the instances of its
// groups: enough to look at one and to delete one out of band (its group re-creates it).
var instanceRoutes = map[string]*route{
	"get":    {httpMethod: http.MethodGet, handle: handleInstanceGet},
	"list":   {httpMethod: http.MethodGet, params: listParams, handle: handleInstanceList},
	"delete": {httpMethod: http.MethodDelete, params: []string{"requestId", "noGracefulShutdown"}, handle: handleInstanceDelete},
}

// findInstance returns the live instance called name in zone, with its group.
func (f *Fake) findInstance(rq *request) (*object, *instance) {
	for _, o := range f.objects {
		if o.group == nil || o.scope.project != rq.scope.project {
			continue
		}
		for _, in := range o.group.instances {
			if in.zone == rq.zone && (rq.name == "" || in.name == rq.name) && in.live() {
				return o, in
			}
		}
	}
	return nil, nil
}

func (f *Fake) renderInstance(o *object, in *instance) *computepb.Instance {
	m := o.msg.(*computepb.InstanceGroupManager)
	mi := o.group.managed(f, m, in)
	out := &computepb.Instance{
		Kind: proto.String("compute#instance"), Id: proto.Uint64(in.id), Name: proto.String(in.name),
		Zone: proto.String(f.link("projects/" + in.project + "/zones/" + in.zone)), SelfLink: proto.String(f.link(in.path())),
		Status: proto.String(mi.GetInstanceStatus()), Labels: map[string]string{},
	}
	if t, ok := f.visible(in.template).msgOK().(*computepb.InstanceTemplate); ok {
		out.MachineType = proto.String(f.link("projects/" + in.project + "/zones/" + in.zone + "/machineTypes/" + t.GetProperties().GetMachineType()))
		for k, v := range t.GetProperties().GetLabels() {
			out.Labels[k] = v
		}
	}
	for k, v := range m.GetAllInstancesConfig().GetProperties().GetLabels() {
		out.Labels[k] = v
	}
	return out
}

func handleInstanceGet(f *Fake, rq *request) (any, error) {
	o, in := f.findInstance(rq)
	if in == nil {
		return nil, notFound("projects/" + rq.scope.project + "/zones/" + rq.zone + "/instances/" + rq.name)
	}
	return f.renderInstance(o, in), nil
}

func handleInstanceList(f *Fake, rq *request) (any, error) {
	var items []proto.Message
	for _, o := range f.objects {
		if o.group == nil || o.scope.project != rq.scope.project {
			continue
		}
		for _, in := range o.group.instances {
			if in.zone == rq.zone && in.live() {
				items = append(items, f.renderInstance(o, in))
			}
		}
	}
	page, next, err := f.listPage(rq, "Instance", items)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"kind": "compute#instanceList"}
	if len(page) > 0 {
		out["items"] = page
	}
	if next != "" {
		out["nextPageToken"] = next
	}
	return out, nil
}

// handleInstanceDelete deletes an instance out of band: it goes, and its group (whose target size
// is unchanged) creates a replacement.
func handleInstanceDelete(f *Fake, rq *request) (any, error) {
	o, in := f.findInstance(rq)
	if in == nil {
		return nil, notFound("projects/" + rq.scope.project + "/zones/" + rq.zone + "/instances/" + rq.name)
	}
	target := &object{kind: o.kind, path: in.path(), scope: o.scope, name: in.name}
	op := f.startOperation(rq, "delete", target, in.id, func(t time.Time) {
		o.group.remove(f, in, t)
	}, nil)
	op.Zone, op.Region = proto.String(f.link("projects/"+in.project+"/zones/"+in.zone)), nil
	return op, nil
}
