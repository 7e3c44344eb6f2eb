/**
 * 下载报表: a report's submit-ready XLSX or CSV as the API renders it (`?format=xlsx|csv`), fetched
 * with the bearer header (never a token in the URL) and saved as a blob under the server's file name.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { download } from '../api/client';
import { problemText } from './problem';

export function DownloadButton({ id, path, title, query }: { id: string; path: string; title: string; query: Record<string, string | number | undefined> }) {
  const { message } = App.useApp();
  const save = async (format: 'xlsx' | 'csv') => {
    try {
      await download(path, { ...query, format }, `${title}.${format}`);
    } catch (err) {
      void message.error(problemText(err));
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: '下载 Excel（XLSX）', 'data-testid': `download-${id}-xlsx` } as { key: string; label: string },
          { key: 'csv', label: '下载 CSV', 'data-testid': `download-${id}-csv` } as { key: string; label: string },
        ],
        onClick: (e) => void save(e.key as 'xlsx' | 'csv'),
      }}
    >
      <Button icon={<DownloadOutlined />} data-testid={`download-${id}`}>
        下载报表
      </Button>
    </Dropdown>
  );
}
