/**
 * 线索登记: a step form for a clue (基本情况 → 被反映人 → 反映问题 → 举报人). Checked with the API's own
 * schema (services/http/schemas.ts caseRegisterSchema) before sending; the API's `errors[].path`
 * land on their fields too. One Idempotency-Key per submission: a double click registers one case.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Steps, Switch, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { caseRegisterSchema } from '../../../services/http/schemas';
import { api, ApiError, idempotencyKey } from '../api/client';
import { useOrgs } from '../api/hooks';
import type { CaseView } from '../api/types';
import { useAuth } from '../auth/context';
import { labels } from '../components/labels';
import { orgTreeData } from '../components/org-tree';
import { problemText } from '../components/problem';
import { applyIssues, pathOf, toPayload, validateWith } from '../components/zod-form';

const STEPS = [
  { title: '基本情况', fields: ['title', 'orgId', 'source', 'receivedAt', 'major'] },
  { title: '被反映人', fields: ['subjects'] },
  { title: '反映问题', fields: ['allegations'] },
  { title: '举报人', fields: ['reporter'] },
];

const options = (t: Readonly<Record<string, string>>) => Object.entries(t).map(([value, label]) => ({ value, label }));

export default function RegisterPage() {
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const { user } = useAuth();
  const orgs = useOrgs().data?.items ?? [];
  const tree = useMemo(() => orgTreeData(orgs), [orgs]);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useRef(idempotencyKey());

  const stepOf = (path: Array<string | number>) => Math.max(0, STEPS.findIndex((s) => s.fields.includes(String(path[0]))));

  const submit = async () => {
    if (busy) return;
    setError(null);
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const payload = toPayload(values) as Record<string, unknown>;
    if (payload.reporter && !(payload.reporter as { name?: string }).name && !(payload.reporter as { contact?: string }).contact) delete payload.reporter;
    const { data } = validateWith(form, caseRegisterSchema, payload);
    if (!data) {
      const first = form.getFieldsError().find((f) => f.errors.length);
      if (first) setStep(stepOf(first.name));
      setError('填写有误，请按提示修改');
      return;
    }
    setBusy(true);
    try {
      const created = await api<CaseView>('/cases', { body: payload, headers: { 'idempotency-key': key.current } });
      key.current = idempotencyKey();
      void navigate(`/cases/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.problem.errors?.length) {
        applyIssues(form, err.problem.errors.map((e) => ({ path: pathOf(e.path), message: e.message })));
        setStep(stepOf(pathOf(err.problem.errors[0].path)));
      }
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="问题线索登记">
      <Steps current={step} onChange={setStep} items={STEPS.map((s) => ({ title: s.title }))} style={{ marginBottom: 24 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" data-testid="register-error" />}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 960 }}
        data-testid="register-form"
        initialValues={{
          orgId: user?.orgId,
          source: 'petition',
          receivedAt: dayjs(),
          major: false,
          subjects: [{ partyMember: true, rank: 'staff', orgId: user?.orgId }],
          allegations: [{ category: 'integrity' }],
          reporter: { realName: true },
        }}
      >
        <div hidden={step !== 0}>
          <Form.Item name="title" label={labels.field('title')} required>
            <Input maxLength={500} placeholder="如：某镇某站所负责人收受礼金问题" />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="orgId" label={labels.field('orgId')} required>
              <TreeSelect treeData={tree} style={{ width: 260 }} treeDefaultExpandAll />
            </Form.Item>
            <Form.Item name="source" label={labels.field('source')} required>
              <Select options={options(labels.sources)} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="receivedAt" label={labels.field('receivedAt')} required>
              <DatePicker />
            </Form.Item>
            <Form.Item name="major" label="重大腐败案件或不正之风长期滋生蔓延" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>
          </Space>
        </div>
        <div hidden={step !== 1}>
          <Form.List name="subjects">
            {(items, { add, remove }, { errors }) => (
              <>
                {items.map((item) => (
                  <Card key={item.key} size="small" style={{ marginBottom: 8 }} title={`被反映人 ${item.name + 1}`} extra={<MinusCircleOutlined onClick={() => remove(item.name)} />}>
                    <Space wrap align="start">
                      <Form.Item name={[item.name, 'name']} label="姓名" required>
                        <Input style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'personId']} label="人员编号" required tooltip="字母、数字、_ . -，同一人在各案件中使用同一编号">
                        <Input style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'position']} label="职务">
                        <Input style={{ width: 220 }} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'rank']} label="职级" required>
                        <Select options={options(labels.ranks)} style={{ width: 150 }} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'orgId']} label="所在单位" required>
                        <TreeSelect treeData={tree} style={{ width: 200 }} treeDefaultExpandAll />
                      </Form.Item>
                      <Form.Item name={[item.name, 'partyMember']} label="中共党员" valuePropName="checked">
                        <Switch />
                      </Form.Item>
                    </Space>
                  </Card>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ partyMember: true, rank: 'staff', orgId: user?.orgId })}>
                  添加被反映人
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </div>
        <div hidden={step !== 2}>
          <Form.List name="allegations">
            {(items, { add, remove }, { errors }) => (
              <>
                {items.map((item) => (
                  <Space key={item.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item name={[item.name, 'category']} label="问题类别" required>
                      <Select options={options(labels.categories)} style={{ width: 150 }} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'summary']} label="内容摘要" required style={{ width: 560 }}>
                      <Input.TextArea rows={2} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(item.name)} style={{ marginTop: 36 }} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ category: 'integrity' })}>
                  添加反映问题
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </div>
        <div hidden={step !== 3}>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title="举报人信息以国密 SM4 加密封存，仅线索登记人员和纪委主要负责人可经记录查看。匿名举报可不填。" />
          <Space wrap>
            <Form.Item name={['reporter', 'name']} label="举报人姓名">
              <Input style={{ width: 160 }} autoComplete="off" />
            </Form.Item>
            <Form.Item name={['reporter', 'contact']} label="联系方式">
              <Input style={{ width: 220 }} autoComplete="off" />
            </Form.Item>
            <Form.Item name={['reporter', 'realName']} label="实名举报" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </div>
        <Space>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>上一步</Button>}
          {step < STEPS.length - 1 && (
            <Button type="primary" onClick={() => setStep(step + 1)}>
              下一步
            </Button>
          )}
          {step === STEPS.length - 1 && (
            <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="register-submit">
              登记
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}
